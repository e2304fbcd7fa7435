"""Settings for the community bench's HTTP server: Townsquare's own, with the search page's per-address
rate limit lifted (every bench request comes from one address)."""

from townsquare.settings import *  # noqa: F403

COMMUNITY_SEARCH_RATE_LIMIT = 10**9
COMMUNITY_SIMILAR_RATE_LIMIT = 10**9
