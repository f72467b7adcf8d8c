"""OGC API – Features (Part 1, core + GeoJSON + HTML) over the branch's records at /ogc/."""
