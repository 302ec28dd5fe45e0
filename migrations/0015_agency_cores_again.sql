-- Every agency name's core (the key names are matched by, goitui.names.core) as this goi
-- computes it: names holding escape sequences or control characters were stored with them in
-- their core before `core` left them out, so the same name printed cleanly never met them (an
-- import made a second agency, a roster row found nothing). goi_core is names.core.
UPDATE agency_names SET core = goi_core(name) WHERE core IS NOT goi_core(name);
