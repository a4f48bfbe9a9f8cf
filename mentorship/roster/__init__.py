"""The staff roster as CSV: import (create or update employees by email) and export."""
