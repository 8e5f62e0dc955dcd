"""Docs answers to a question asked in another language than the tenant's documents: an English question about a
chain whose policies are written in Portuguese is answered by quoting the Portuguese sentence that answers it
(multilingual sentence embedding, tools/multilingual.py), a question the documents do not cover still says so, and
English documents or a question asked in the documents' own language take the usual path. Made-up tenant (Ótica
Figueira, a Portuguese chain), not bench cases. Real model: the packaged multilingual USE, no fakes."""

from __future__ import annotations

import pytest

from agents.extractive import extractive_answer
from config.settings import reset_settings
from tools.multilingual import asks_across_languages, text_language

POLICIES = [
    {"title": "Garantias e trocas (Ótica Figueira)", "text": (
        "# Garantias e trocas\n\n"
        "## Trocas\n\n"
        "Pode trocar a armação no prazo de 15 dias após a entrega, desde que traga o talão de compra.\n"
        "As lentes graduadas feitas por medida não são trocadas nem reembolsadas.\n\n"
        "## Garantia\n\n"
        "As armações têm uma garantia de 3 anos contra defeitos de fabrico.\n"
        "A garantia não cobre riscos nas lentes nem quebras por queda.\n")},
    {"title": "Lojas e horários (Ótica Figueira)", "text": (
        "# Lojas e horários\n\n"
        "A loja do Chiado abre de segunda a sábado, das 10h00 às 19h30.\n"
        "Aos domingos e feriados todas as lojas estão fechadas.\n"
        "O estacionamento do centro comercial é gratuito nas primeiras duas horas.\n\n"
        "## Pagamentos\n\n"
        "Aceitamos cartões de débito e de crédito, numerário e MB WAY.\n"
        "Pode pagar em 10 prestações sem juros a partir de 200 euros.\n")},
    {"title": "Exames e lentes de contacto (Ótica Figueira)", "text": (
        "# Exames da vista\n\n"
        "O exame da vista custa 20 euros e é oferecido a quem compra óculos graduados.\n"
        "Observamos crianças a partir dos 6 anos de idade.\n\n"
        "## Lentes de contacto\n\n"
        "A primeira adaptação de lentes de contacto custa 35 euros e inclui duas consultas de controlo.\n")},
]
ENGLISH = [{"title": "Opening hours", "text": (
    "# Opening hours\n\nOur Leeds shop opens Monday to Saturday from 9am to 6pm and is closed on Sundays.\n")}]


@pytest.mark.parametrize(("question", "fact"), [
    ("how long is the guarantee on the frames?", "3 anos"),
    ("Do you accept MB WAY?", "MB WAY"),
    ("How much is the first contact lens fitting?", "35 euros"),
    ("How much does an eye test cost?", "20 euros"),
    ("From what age do you see children?", "6 anos"),
    ("Are the shops open on Sundays?", "estão fechadas"),
])
def test_an_english_question_about_portuguese_documents_quotes_the_sentence_that_answers(question: str,
                                                                                          fact: str) -> None:
    answer = extractive_answer(question, POLICIES)
    assert answer.covered and fact in answer.text, answer.text


@pytest.mark.parametrize("question", ["Do you sell hearing aids?", "What is the maternity leave policy for staff?",
                                      "Do you repair watches?"])
def test_a_question_the_portuguese_documents_do_not_cover_still_says_so(question: str) -> None:
    answer = extractive_answer(question, POLICIES)
    assert not answer.covered and "don't seem to cover" in answer.text, answer.text


def test_which_questions_cross_languages() -> None:
    texts = [p["text"] for p in POLICIES]
    assert text_language("\n".join(texts)) == "pt"
    assert asks_across_languages("Do students get a discount?", texts)
    assert not asks_across_languages("As lentes de contacto têm desconto para estudantes?", texts)  # theirs
    assert not asks_across_languages("When does the Leeds shop open?", [p["text"] for p in ENGLISH])
    assert text_language("| Single vision | £95 |\n| Varifocal | £240 |") is None  # a table tells no language


def test_switched_off_an_english_question_about_portuguese_documents_is_not_covered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGHTLINE_DOCS_CROSS_LANGUAGE", "false")
    reset_settings()
    try:
        assert not extractive_answer("How much does an eye test cost?", POLICIES).covered
    finally:
        monkeypatch.delenv("SIGHTLINE_DOCS_CROSS_LANGUAGE")
        reset_settings()
