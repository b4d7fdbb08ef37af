// Starts GraphiQL on the page cms/templates/cms/graphiql.html renders. A static
// file rather than an inline script: the page's CSP allows scripts from 'self'
// only. The vendored React, ReactDOM and GraphiQL builds load before it.
(function () {
  "use strict";

  var root = document.getElementById("graphiql");
  var baseFetcher = window.GraphiQL.createFetcher({
    url: root.getAttribute("data-endpoint"),
    // Mutations need X-Requested-With (the endpoint's CSRF rule); the
    // endpoint does not stream, so no multipart/mixed requests.
    headers: { Accept: "application/json", "X-Requested-With": "GraphiQL" },
    enableIncrementalDelivery: false,
  });

  // The headers editor starts with empty example values: those are not sent.
  function fetcher(params, options) {
    var given = (options && options.headers) || {};
    var headers = {};
    Object.keys(given).forEach(function (name) {
      if (given[name] !== "" && given[name] !== null) {
        headers[name] = given[name];
      }
    });
    return baseFetcher(params, Object.assign({}, options, { headers: headers }));
  }

  root.textContent = "";
  window.ReactDOM.createRoot(root).render(
    window.React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.getAttribute("data-default-query"),
      defaultHeaders: root.getAttribute("data-default-headers"),
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    }),
  );
})();
