"""Remote thumbnails proxied for the UI: fetched under the address policy, cached on disk."""
