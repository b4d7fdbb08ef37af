"""Partner trainers: profile pages under a directory page, their credentials and
education, the public directory (filters, near me, facets), incremental sync
over a change log, and the featured-trainers block."""
