"""The agent: `answer(principal, question, thread_id)` streams events of one chat turn; `answer_sync` collects them."""

from agents.turn import answer, answer_sync

__all__ = ["answer", "answer_sync"]
