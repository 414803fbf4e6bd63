"""The daemon's HTTP server (Starlette, served by uvicorn in the daemon's event loop)."""
