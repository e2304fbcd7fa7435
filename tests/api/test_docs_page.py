"""/api/v1/docs works offline: Swagger UI comes from ninja's bundled static files, not a CDN."""

import re

import pytest

EXTERNAL_URL = re.compile(r"https?://|(?:src|href)\s*=\s*[\"']?//", re.IGNORECASE)


@pytest.fixture
def docs(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    return response.content.decode()


def test_the_docs_page_references_no_external_url(docs):
    assert 'id="swagger-ui"' in docs
    assert EXTERNAL_URL.search(docs) is None


def test_the_swagger_ui_files_it_references_are_served(client, docs):
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)", docs)
    assert any(path.endswith("swagger-ui-bundle.js") for path in assets), assets
    for path in assets:
        assert client.get(path).status_code == 200, path
