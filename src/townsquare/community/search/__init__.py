"""Community search: full text (FTS5 / tsvector), semantic and cross-lingual (multilingual
embeddings), merged; and "similar questions" for someone about to ask one.

    from townsquare.community.search import search, similar_topics
"""

from townsquare.community.search.hybrid import search
from townsquare.community.search.similar import similar_topics

__all__ = ["search", "similar_topics"]
