# The portal's English dates, as written before formats were per language.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
