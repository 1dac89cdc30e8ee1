-- An indicator first seen in an imported file (its name, unit and polarity as the file gave them).
INSERT INTO indicators (indicator_id, name, short_name, unit, polarity, source, headline, display_order)
VALUES ($indicator_id, $indicator_name, $indicator_name, $unit, $polarity, $source, false, NULL)
