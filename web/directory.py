"""The trainer directory page: its form, read and checked, and the search
it asks the API for."""

import math

from web import api
from web.responses import (
    SLUG,
    BadRequest,
    NotFound,
    checked,
    page,
    page_number,
    pagination,
    site_page,
)

TRAINERS_PER_PAGE = 10
RADII_KM = (10, 25, 50, 100, 200)
DEFAULT_RADIUS_KM = 50
SERVICES = (
    ("IN_PERSON", "In person"),
    ("VIRTUAL", "Virtual"),
    ("GROUP", "Group"),
)
ORDERS = (
    ("NAME", "Name"),
    ("DISTANCE", "Distance"),
    ("RECENTLY_UPDATED", "Recently updated"),
)


def _float_param(request, name, low, high) -> float | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"“{raw[:20]}” is not a number ({name}).") from None
    if not (low <= value <= high) or math.isnan(value):
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return value


def _directory_request(request) -> dict:
    """The directory form, read and checked: what the API will be asked."""
    get = request.GET
    specialties = [s for s in get.getlist("specialty") if s]
    credentials = [c for c in get.getlist("credential") if c]
    for value in specialties + credentials:
        if not SLUG.match(value):
            raise BadRequest(f"“{value[:40]}” is not a valid filter value.")
    services = [s for s in get.getlist("service") if s]
    if any(s not in dict(SERVICES) for s in services):
        raise BadRequest("Choose services from the list.")
    query = get.get("q", "").strip()[:100] or None
    latitude = _float_param(request, "lat", -90, 90)
    longitude = _float_param(request, "lng", -180, 180)
    if (latitude is None) != (longitude is None):
        raise BadRequest("Give both a latitude and a longitude.")
    near_city = get.get("near", "").strip()
    if near_city and ", " not in near_city:
        raise BadRequest("Choose a city from the list.")
    radius = get.get("radius", str(DEFAULT_RADIUS_KM))
    if radius not in {str(r) for r in RADII_KM}:
        raise BadRequest("Choose a distance from the list.")
    order = get.get("order") or None
    if order is not None and order not in dict(ORDERS):
        raise BadRequest("Choose an order from the list.")
    filters = {
        "specialties": specialties or None,
        "credentials": credentials or None,
        "services": services or None,
        "query": query,
        "acceptingNewClients": True if get.get("accepting") == "1" else None,
    }
    return {
        "filter": {k: v for k, v in filters.items() if v is not None},
        "latitude": latitude,
        "longitude": longitude,
        "near_city": near_city,
        "radius": int(radius),
        "order": order,
        "chosen": {
            "specialties": specialties,
            "credentials": credentials,
            "services": services,
            "q": query or "",
            "accepting": get.get("accepting") == "1",
        },
    }


def _city_point(request, near_city) -> tuple[float, float]:
    """A city from the picker, placed where the directory's trainers there are."""
    city, state = near_city.rsplit(", ", 1)
    data = checked(
        api.run(
            request,
            "TrainerDirectory",
            {"filter": {"city": city, "state": state}, "limit": 1, "order": "NAME"},
        )
    )
    items = data["trainers"]["items"]
    location = items[0]["location"] if items else {}
    if location.get("latitude") is None or location.get("longitude") is None:
        raise BadRequest(f"We do not know where {near_city} is.")
    return location["latitude"], location["longitude"]


@site_page
def trainer_directory(request):
    number = page_number(request)
    asked = _directory_request(request)
    # Every option the form offers: the whole directory's facets. The same
    # GET for every visitor, so the API's caches answer it.
    everyone = checked(
        api.run(request, "TrainerDirectory", {"limit": 1, "order": "NAME"})
    )["trainers"]["facets"]
    near = None
    if asked["latitude"] is not None:
        near = (asked["latitude"], asked["longitude"])
    elif asked["near_city"]:
        near = _city_point(request, asked["near_city"])
    order = asked["order"] or ("DISTANCE" if near else "NAME")
    if order == "DISTANCE" and near is None:
        order = "NAME"
    variables = {
        "filter": asked["filter"] or None,
        "order": order,
        "limit": TRAINERS_PER_PAGE,
        "offset": (number - 1) * TRAINERS_PER_PAGE,
    }
    if near:
        variables["near"] = {
            "latitude": near[0],
            "longitude": near[1],
            "radiusKm": asked["radius"],
        }
    trainers = checked(api.run(request, "TrainerDirectory", variables))["trainers"]
    if number > 1 and not trainers["items"]:
        raise NotFound(f"There is no page {number} of trainers.")
    counts = trainers["facets"]
    return page(
        request,
        "web/directory.html",
        {
            "nav": "trainers",
            "trainers": trainers,
            "specialties": _options(
                everyone["specialties"], counts["specialties"], "slug", "name"
            ),
            "credentials": _options(
                everyone["credentials"], counts["credentials"], "slug", "abbreviation"
            ),
            "cities": sorted(
                f"{c['name']}, {c['state']}" for c in everyone["cities"] if c["name"]
            ),
            "services": SERVICES,
            "orders": ORDERS,
            "radii": RADII_KM,
            "chosen": asked["chosen"],
            "near_city": asked["near_city"],
            "near_point": asked["latitude"] is not None,
            "latitude": asked["latitude"],
            "longitude": asked["longitude"],
            "radius": asked["radius"],
            "order": order,
            "pagination": pagination(
                request, number, trainers["totalCount"], TRAINERS_PER_PAGE
            ),
        },
    )


def _options(every, matching, key, label) -> list[dict]:
    """Each option of the whole directory with its count in the current result."""
    counts = {item[key]: item["count"] for item in matching}
    options = (
        {"value": item[key], "label": item[label], "count": counts.get(item[key], 0)}
        for item in every
    )
    return sorted(options, key=lambda option: option["label"].lower())
