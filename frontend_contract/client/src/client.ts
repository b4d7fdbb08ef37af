// A typed client for the clinic content API, as a frontend would write it.
//
// Every operation is a committed file in ../../operations; its persisted id is
// the sha256 of the file's text. Queries go out as GET ?id=...&variables=...
// (cacheable by browsers, CDNs and the API's response cache); a preview sends
// the editor's token in X-Preview-Token over POST (never cached).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import type {
  ArticleDetailQuery,
  ArticleDetailQueryVariables,
  ArticleListQuery,
  ArticleListQueryVariables,
  ComparisonTableQuery,
  ComparisonTableQueryVariables,
  CredentialCatalogueQuery,
  CredentialCatalogueQueryVariables,
  HomePageQuery,
  HomePageQueryVariables,
  OrganisationSettingsQuery,
  OrganisationSettingsQueryVariables,
  SearchQuery,
  SearchQueryVariables,
  SearchSuggestionsQuery,
  SearchSuggestionsQueryVariables,
  TrainerDirectoryQuery,
  TrainerDirectoryQueryVariables,
  TrainerProfileQuery,
  TrainerProfileQueryVariables,
  TrainerSyncQuery,
  TrainerSyncQueryVariables,
} from "./generated/operations.js";

/** Each committed operation: [result data, variables]. */
export interface Operations {
  ArticleDetail: [ArticleDetailQuery, ArticleDetailQueryVariables];
  ArticleList: [ArticleListQuery, ArticleListQueryVariables];
  ComparisonTable: [ComparisonTableQuery, ComparisonTableQueryVariables];
  CredentialCatalogue: [CredentialCatalogueQuery, CredentialCatalogueQueryVariables];
  HomePage: [HomePageQuery, HomePageQueryVariables];
  OrganisationSettings: [OrganisationSettingsQuery, OrganisationSettingsQueryVariables];
  Search: [SearchQuery, SearchQueryVariables];
  SearchSuggestions: [SearchSuggestionsQuery, SearchSuggestionsQueryVariables];
  TrainerDirectory: [TrainerDirectoryQuery, TrainerDirectoryQueryVariables];
  TrainerProfile: [TrainerProfileQuery, TrainerProfileQueryVariables];
  TrainerSync: [TrainerSyncQuery, TrainerSyncQueryVariables];
}

export type OperationName = keyof Operations;

const OPERATIONS_DIR = new URL("../../operations/", import.meta.url);

/** The persisted id: sha256 hex of the operation file's text. */
export function operationId(name: OperationName): string {
  const text = readFileSync(new URL(`${name}.graphql`, OPERATIONS_DIR));
  return createHash("sha256").update(text).digest("hex");
}

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** The API answered with errors; switch on `codes`, never on messages. */
export class ApiError extends Error {
  readonly codes: string[];

  constructor(readonly status: number, readonly errors: GraphQLErrorBody[]) {
    super(errors.map((e) => e.extensions?.code ?? e.message).join(", "));
    this.codes = errors.map((e) => e.extensions?.code ?? "");
  }
}

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:8000/graphql/ */
  endpoint: string;
  /** A draft-preview token from the admin's preview URL. */
  previewToken?: string;
  /** Sent as X-Api-Key (listed in the server's GRAPHQL_API_KEYS). */
  apiKey?: string;
}

export async function run<N extends OperationName>(
  options: ClientOptions,
  name: N,
  variables: Operations[N][1],
): Promise<Operations[N][0]> {
  const id = operationId(name);
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.apiKey) headers["X-Api-Key"] = options.apiKey;
  let response: Response;
  if (options.previewToken) {
    headers["Content-Type"] = "application/json";
    headers["X-Preview-Token"] = options.previewToken;
    response = await fetch(options.endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ id, variables }),
    });
  } else {
    const url = new URL(options.endpoint);
    url.searchParams.set("id", id);
    if (Object.keys(variables).length > 0) {
      url.searchParams.set("variables", JSON.stringify(variables));
    }
    response = await fetch(url, { headers });
  }
  const body = (await response.json()) as {
    data?: Operations[N][0] | null;
    errors?: GraphQLErrorBody[];
  };
  if (body.errors?.length || !body.data) {
    throw new ApiError(response.status, body.errors ?? []);
  }
  return body.data;
}
