// The Graph Data Science library's version; fails with "Unknown function" when GDS is absent.
// params: none
RETURN gds.version() AS version
