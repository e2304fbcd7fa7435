"""The community's public pages, one module per group of pages. Views stay thin: they read with the
queries in `listing`/`thread`, change state only through the community services, and turn the
services' errors into form errors or message pages (`outcomes`)."""
