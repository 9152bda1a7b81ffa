"""Date formats per language (settings.FORMAT_MODULE_PATH), where Django's own differ from how
the portal writes a date in running text: "15 January 2024" in English as before, the genitive
month in Polish ("15 stycznia 2024"), "15 de enero de 2024" in Spanish. Templates write
`|date:"DATE_FORMAT"` or `|date:"DATETIME_FORMAT"`; every other format is Django's."""
