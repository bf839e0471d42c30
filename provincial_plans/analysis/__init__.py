"""Every figure a report or a table shows, as typed records: national and regional adoption, shares, ranks,
standing, year on year, the outside measure, and the findings the conclusions rules draw. No file is written here."""
