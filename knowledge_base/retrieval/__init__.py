"""Finding the FAQ entry that answers a resident's question (dense + lexical retrieval over a FAISS index).

Modules: japanese (text folding), lexical (character n-gram TF-IDF), usem_module + encoder (sentence
embeddings through sentence-transformers), dense (FAISS), index (build/save/load of one index),
hybrid (fused search), decision (answer / did you mean / no answer), settings (calibration.yml),
store (content-keyed cache of built indexes), service (hot reload in the action server),
redaction + misses (unanswered questions for staff, personal data removed).
"""

from knowledge_base.retrieval.base import Candidate, Retriever

__all__ = ["Candidate", "Retriever"]
