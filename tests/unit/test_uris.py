from rdflib import URIRef

from publisher import uris


def test_slugify_folds_accents_and_punctuation():
    assert uris.slugify("Saint-Étienne (Loire)") == "saint-etienne-loire"


def test_partnership_iri_ignores_member_order():
    dijon = uris.mint_commune("21231")
    mainz = uris.mint_partner_authority("DE", "Mainz")
    assert uris.mint_partnership(dijon, mainz) == uris.mint_partnership(mainz, dijon)
    assert uris.mint_partnership(dijon, mainz) == URIRef(
        "https://w3id.org/aict/id/partnership/commune-21231--de-mainz"
    )


def test_public_and_canonical_are_inverse():
    iri = "https://w3id.org/aict/id/commune/21231"
    public = uris.to_public(iri, "http://127.0.0.1:8000/")
    assert public == "http://127.0.0.1:8000/id/commune/21231"
    assert uris.to_canonical(public, "http://127.0.0.1:8000/") == iri
