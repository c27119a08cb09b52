"""A table wider than a phone scrolls in a box the keyboard reaches (tabindex 0) and a screen
reader announces by name: a region labelled by its caption, or, inside a section that is
already a region named by its heading, a group labelled by that heading (two landmarks of
one name would confuse; axe's landmark-unique)."""

import re

import pytest
from django.test import Client

REGION = re.compile(r'<div class="table-scroll"([^>]*)>')


@pytest.mark.django_db
def test_every_scrolling_table_on_the_transparency_page_is_named(client: Client) -> None:
    page = client.get("/transparency").content.decode()
    regions = REGION.findall(page)
    assert len(regions) >= 4
    for attributes in regions:
        assert 'tabindex="0"' in attributes
        assert 'role="region"' in attributes or 'role="group"' in attributes
        label = re.search(r'aria-labelledby="([^"]+)"', attributes)
        assert label is not None, attributes
        assert page.count(f'id="{label.group(1)}"') == 1, label.group(1)
