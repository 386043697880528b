"""The banner over the transaction while a submission's outcome is in question: amber while
the database has not said whether it posted, green once it says posted, red once it says
not posted — always in words, never colour alone."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from counter_app.domain.submission import Submission

COLOURS = {  # text, background
    "checking": ("#000000", "#ffd54f"),
    "posted": ("#ffffff", "#0b6b2e"),
    "not_posted": ("#ffffff", "#b00020"),
}


class OutcomeBanner(QLabel):
    """Hidden until ``checking``; ``posted`` / ``not_posted`` say what the database said."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcome")
        self.setAccessibleName("Outcome of the last Complete")
        self.setWordWrap(True)
        self.state = ""
        self.hide()

    def checking(self, submission: Submission, tries: int, waited_s: float) -> None:
        asked = f" · asked {tries}× in {waited_s:.0f} s" if tries else ""
        self._show(
            "checking",
            f"⚠ NOT KNOWN YET whether {submission.what} was posted: the database did not "
            f"answer. Checking every 2 s{asked} — keep the money; the transaction stays as "
            "it is until the database says.",
        )

    def posted(self, receipt: str) -> None:
        self._show("posted", f"✔ Posted — receipt {receipt}")

    def not_posted(self, submission: Submission) -> None:
        self._show(
            "not_posted",
            f"✖ Not posted — {submission.what} did not reach the database. Press Enter to "
            "complete again (it still posts at most once), or Esc twice to clear it.",
        )

    def clear(self) -> None:
        self.state = ""
        self.setText("")
        self.hide()

    def _show(self, state: str, text: str) -> None:
        self.state = state
        fg, bg = COLOURS[state]
        self.setStyleSheet(f"color: {fg}; background: {bg}; font-weight: bold; padding: 4px 8px;")
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()
