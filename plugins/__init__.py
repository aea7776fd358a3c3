"""City plugins, one package each; only those named in WILMA_PLUGINS are imported."""
