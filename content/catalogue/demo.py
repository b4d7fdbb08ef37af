"""The demo catalogue: the credentials the seed article names, and the
specialties of the demo trainers (idempotent)."""

from content.catalogue.models import Credential, CredentialKind, Specialty

CREDENTIALS = [
    ("DPT", "Doctor of Physical Therapy", "CAPTE-accredited program", "degree"),
    ("PT", "Physical Therapist", "State physical therapy board", "licence"),
    ("PTA", "Physical Therapist Assistant", "State physical therapy board", "licence"),
    (
        "NSCA-CPT",
        "NSCA Certified Personal Trainer",
        "National Strength and Conditioning Association",
        "certification",
    ),
    (
        "NSCA-CSCS",
        "Certified Strength and Conditioning Specialist",
        "National Strength and Conditioning Association",
        "certification",
    ),
    (
        "NASM-CPT",
        "NASM Certified Personal Trainer",
        "National Academy of Sports Medicine",
        "certification",
    ),
    (
        "CPR/AED",
        "CPR and AED",
        "American Red Cross or American Heart Association",
        "certification",
    ),
]

SPECIALTIES = [
    ("strength-and-conditioning", "Strength and conditioning"),
    ("post-rehab", "Post-rehab"),
    ("sports-performance", "Sports performance"),
    ("older-adults", "Older adults"),
    ("youth-athletes", "Youth athletes"),
    ("mobility", "Mobility and flexibility"),
    ("prenatal-postpartum", "Prenatal and postpartum"),
]


def load_credentials(stdout) -> dict[str, Credential]:
    """The catalogue entries, by slug (``nsca-cscs``, ``cpr-aed``...)."""
    found = {}
    for abbreviation, full_name, issuing_body, kind in CREDENTIALS:
        credential, created = Credential.objects.get_or_create(
            abbreviation=abbreviation,
            defaults={
                "full_name": full_name,
                "issuing_body": issuing_body,
                "kind": CredentialKind(kind),
            },
        )
        if created:
            stdout.write(f"  created credential {abbreviation}")
        found[credential.slug] = credential
    return found


def load_specialties() -> dict[str, Specialty]:
    """The specialty vocabulary, by slug."""
    found = {}
    for slug, name in SPECIALTIES:
        found[slug], _ = Specialty.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
    return found


def load(stdout) -> tuple[dict[str, Credential], dict[str, Specialty]]:
    """Credentials and specialties, each by slug."""
    return load_credentials(stdout), load_specialties()
