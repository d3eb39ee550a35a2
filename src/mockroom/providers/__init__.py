"""Adapters to outside services, one module per vendor under a folder per kind (`llm/`, ...)."""
