from django.core.validators import RegexValidator

key_decision_reference_validator = RegexValidator(
    r"^\d{2}/\d{5}$",
    "Enter the Key Decision reference in the council's form NN/NNNNN, for example 25/00012.",
)
