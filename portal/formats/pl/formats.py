# E: the month in the genitive ("15 stycznia 2024"), as a Polish date is written.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
