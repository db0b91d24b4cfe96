"""Statistical secrecy of the figures printed for a commune or a smaller zone."""

MIN_ZONE_ALLOCATAIRES = 100
MIN_PRINTABLE_VALUE = 5


def is_secret(value, zone_allocataires):
    """Whether a figure must be blanked, as the Caf des Yvelines model, article 7, requires:

    "toute valeur portant sur des zones communales ou infra-communales de moins de 100 allocataires
    sera mise à blanc ; toute valeur inférieure à 5 allocataires et différente de zéro sera mise à
    blanc."

    `zone_allocataires` is the number of allocataires of the zone the figure describes; None means
    the figure is not given for a commune or a smaller zone, so only the small-value rule applies.
    """
    if zone_allocataires is not None and zone_allocataires < MIN_ZONE_ALLOCATAIRES:
        return True
    if value is None:
        return False
    return value != 0 and abs(value) < MIN_PRINTABLE_VALUE


# What stands in a blanked figure's place, in the document and on screen.
SECRET_MARK = "secret statistique"
