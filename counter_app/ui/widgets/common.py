"""Small widgets shared by the screens: money entry, inline error text, big figures."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter_app.domain.accounts import Badge
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money

ICONS = {"warn": "⚠", "stop": "✖", "info": "ℹ"}
BADGE_COLOURS = {  # text, background: high contrast, and always with words
    "warn": ("#000000", "#ffd54f"),
    "stop": ("#ffffff", "#b00020"),
    "info": ("#ffffff", "#1f5fa8"),
}


class MoneyEdit(QLineEdit):
    """A right-aligned amount field; ``money()`` reads it exactly or raises with a message."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText("0.00")

    def money(self) -> Money:
        return Money.parse(self.text())

    def set_money(self, amount: Money) -> None:
        self.setText(str(amount))
        self.selectAll()


def reserve_lines(label: QLabel, lines: int) -> None:
    """Keep room for ``lines`` lines of text, shown or not, so the layout never jumps."""
    label.setFixedHeight(label.fontMetrics().lineSpacing() * lines + 4)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)


class Dialog(QDialog):
    """A dialog that grows to show all of its wrapped text: Qt sizes a window by its
    labels' one-line width, not by the height their wrapped lines need."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        """Give every wrapped label the height its text needs at its width, then resize."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        for label in self.findChildren(QLabel):
            if label.wordWrap() and label.minimumHeight() != label.maximumHeight():
                label.setMinimumHeight(max(0, label.heightForWidth(label.width())))
        layout.activate()
        self.resize(self.width(), max(self.height(), self.minimumSizeHint().height()))


class ErrorLabel(QLabel):
    """Error text shown next to the field it is about; empty when all is well. With
    ``lines`` it keeps that much room whether or not there is an error."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 0) -> None:
        super().__init__(parent)
        self.setObjectName("error")
        self.setWordWrap(True)
        self.setAccessibleName("Error")
        if lines:
            reserve_lines(self, lines)

    def show_error(self, error: Exception | str | None) -> None:
        if error is None:
            self.clear()
        elif isinstance(error, CounterError | str):
            self.setText(str(error))
        else:
            self.setText(f"Something went wrong: {error}")
        window = self.window()
        if isinstance(window, Dialog) and window.isVisible():
            window.fit()  # room for the message, however many lines it wraps to


def text_field(
    accessible_name: str, placeholder: str = "", *, secret: bool = False, max_length: int = 0
) -> QLineEdit:
    """A one-line text field with its accessible name (and dots for a password)."""
    field = QLineEdit()
    field.setAccessibleName(accessible_name)
    if placeholder:
        field.setPlaceholderText(placeholder)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    if max_length:
        field.setMaxLength(max_length)
    return field


def default_button(label: str, on_click: Callable[[], object]) -> QPushButton:
    """The dialog's Enter button."""
    button = QPushButton(label)
    button.setDefault(True)
    button.clicked.connect(on_click)
    return button


def big_label(text: str, points: int, accessible_name: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(accessible_name)
    return label


def badge_html(badge: Badge, prefix: str = "") -> str:
    """A warning as a coloured badge with its words, for rich-text labels."""
    fg, bg = BADGE_COLOURS[badge.level]
    return (
        f"<span style='color:{fg}; background-color:{bg}; font-weight:bold'>"
        f"&nbsp;{ICONS[badge.level]} {prefix}{badge.text}&nbsp;</span>"
    )


def badge_label(badge: Badge, prefix: str = "") -> QLabel:
    """A warning as a badge widget (object name ``badge``, property ``level``)."""
    label = QLabel(f"{ICONS[badge.level]} {prefix}{badge.text}")
    label.setObjectName("badge")
    label.setProperty("level", badge.level)
    label.setWordWrap(True)
    label.setAccessibleName("Warning")
    return label


class InfoDialog(Dialog):
    """Rich text to read (key map, status detail) and one Close button (Enter or Esc)."""

    def __init__(self, title: str, html: str, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QLabel(html)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(title)
        close = default_button("Close", self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(close)
        self.setMinimumWidth(width)
