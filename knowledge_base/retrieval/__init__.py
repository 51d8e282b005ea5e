"""Finding the FAQ entry that answers a resident's question."""

from knowledge_base.retrieval.base import Candidate, Retriever
from knowledge_base.retrieval.lexical import LexicalRetriever

__all__ = ["Candidate", "LexicalRetriever", "Retriever"]
