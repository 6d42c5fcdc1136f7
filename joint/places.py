"""The place of a parking report as a person says it: 东昌路与柳园路路口, 东昌路人民医院门口.

The SMS to the owner, the owner's page and the 《违法停车提示单》 all name the place with
`place_phrase`, from what the officer reported (the street, an optional cross street, an
optional description). Coordinates are kept on the report for the record, never put in words:
an owner cannot find "GPS定位点".
"""

from __future__ import annotations

import re

# The endings of a road's name (路, 街, 大道, 巷…): a bare name with one of these is a road.
_ROAD = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z]{1,20}(大街|大道|路|街|道|巷|胡同|线)$")
# What older reports wrote when only coordinates were known: it says nothing to a person.
_NOT_A_PLACE = frozenset({"GPS定位点", "GPS定位", "定位点"})


def is_road(name: str) -> bool:
    return bool(_ROAD.match(name.strip()))


def place_phrase(street: str, cross_street: str = "", place: str = "") -> str:
    """The place in words: the street with the cross street as a junction (东昌路与柳园路路口),
    or with the description (东昌路人民医院门口; a description that already names the street is
    taken as it is), or the street alone."""
    street, cross, place = street.strip(), cross_street.strip(), place.strip()
    if place in _NOT_A_PLACE:
        place = ""
    if cross == street:
        cross = ""
    if not cross and is_road(place) and place != street:
        cross, place = place, ""
    if cross:
        junction = f"{street}与{cross}路口" if street else f"{cross}路口"
        if place and (cross in place or (street and street in place)):
            return place  # the description already names the junction
        return f"{junction}{place}"
    if not place:
        return street
    if street and street in place:
        return place
    return f"{street}{place}"
