"""GeoJSON helpers (shapely, no GDAL)."""

from django.utils.translation import gettext as _
from shapely.geometry import shape


def geometry_error(geojson) -> str:
    """A Chinese message if ``geojson`` is not a valid (Multi)Polygon, else ''."""
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        return _("Boundary must be a GeoJSON Polygon or MultiPolygon.")
    try:
        geometry = shape(geojson)
    except Exception:  # shapely raises several types for malformed coordinates
        return _("Boundary coordinates are malformed.")
    if geometry.is_empty or not geometry.is_valid:
        return _("Boundary is not a valid polygon (it may cross itself).")
    return ""


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}
