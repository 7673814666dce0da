"""Pure loss functions. No parameters or state live here."""
