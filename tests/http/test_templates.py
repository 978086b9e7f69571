"""The actions template is downloadable from the publisher, linked from the home page."""

from __future__ import annotations

import pytest

from publisher.config import TEMPLATES_DIR

FILES = {
    "actions.csv": "text/csv; charset=utf-8; header=present",
    "actions.schema.json": "application/json",
    "actions.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize("name, media_type", FILES.items())
def test_each_template_file_is_served_as_committed(client, name, media_type):
    answer = client.get(f"/templates/{name}", headers={"Accept-Encoding": "identity"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == media_type
    assert answer.content == (TEMPLATES_DIR / name).read_bytes()
    again = client.get(
        f"/templates/{name}",
        headers={"Accept-Encoding": "identity", "If-None-Match": answer.headers["etag"]},
    )
    assert again.status_code == 304
    head = client.request("HEAD", f"/templates/{name}", headers={"Accept-Encoding": "identity"})
    assert (head.status_code, head.headers["etag"]) == (200, answer.headers["etag"])
    if name != "actions.schema.json":
        assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize("name", ["other.csv", "..%2Fpyproject.toml", "actions.ttl"])
def test_only_the_template_files_are_served(client, name):
    assert client.get(f"/templates/{name}").status_code == 404


@pytest.mark.parametrize("path", ["/templates", "/templates/"])
def test_the_templates_folder_leads_to_the_list_of_templates(client, path):
    # The README sends contributors to /templates/: it leads to the home page's list of the
    # files, in the reader's language, rather than to a 404.
    answer = client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        "http://testserver/#contribute",
    )
    page = client.get(answer.headers["location"], headers={"Accept": "text/html"}).text
    assert 'id="contribute"' in page
    for name in FILES:
        assert f'href="http://testserver/templates/{name}"' in page


def test_home_links_to_the_template(client):
    page = client.get("/", headers={"Accept": "text/html"}).text
    for name in FILES:
        assert f'href="http://testserver/templates/{name}"' in page
