"""One module per output format, each with symmetric ``write_*``/``read_*``."""
