"""A table wider than a phone scrolls in a region the keyboard reaches (tabindex 0) and a
screen reader announces by name (role region, labelled by its caption or heading)."""

import re

import pytest
from django.test import Client

REGION = re.compile(r'<div class="table-scroll"([^>]*)>')


@pytest.mark.django_db
def test_every_scrolling_table_on_the_transparency_page_is_a_named_region(client: Client) -> None:
    page = client.get("/transparency").content.decode()
    regions = REGION.findall(page)
    assert len(regions) >= 4
    for attributes in regions:
        assert 'tabindex="0"' in attributes
        assert 'role="region"' in attributes
        label = re.search(r'aria-labelledby="([^"]+)"', attributes)
        assert label is not None, attributes
        assert page.count(f'id="{label.group(1)}"') == 1, label.group(1)
