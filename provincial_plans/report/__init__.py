"""What a reader gets: national charts and the province standing chart, HTML and PDF editions, fonts, the warm
render server, the index pages and manifest, and the publication of a year's site to reports/ as a whole."""
