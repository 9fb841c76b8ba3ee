"""Reading a clerk's message: a pipeline of named passes over one shared record.

``pipeline.read(text, report, context)`` runs, in order:

1. ``lexicon.tokenize``        words (registry labels and phrases, clerks' plain words, grammar words) and numbers;
2. ``numbers.mark_numbers``    which numbers are quantities, and which are dates, document numbers, phone
                               numbers, list numbering, percentages, last year's figures, averages, counters;
3. ``clauses.segment``         paragraphs, sentences and clauses;
4. ``conversation.seed``       the open questions of the last turn, as facts still waiting for an answer;
5. ``facts.read_facts``        each quantity with its words (``slots``) becomes a fact about a cell, or opens one;
                               clauses without numbers say 0, "all of them", or what follows is about;
6. ``resolve.resolve``         a paragraph's grammar: totals and their parts, the remainder, subsets, scope,
                               what the draft tells, what must be asked;
7. ``corrections.against_draft``  "又来了1件", "少算了2件", "不是维持，是纠正", "现在是11件" against the draft;
8. ``changes.to_changes``      facts to the proposed changes (one value per cell, totals checked with their parts);
9. ``material.collect``        statements with no cell, kept for the section whose text they feed;
10. ``help.answer``            questions about the form, answered from the registry and the template's definitions;
11. ``conversation.next_context``  what stays open for the next turn.

Each pass owns one part of the record (``record.Doc``) and can be run and tested alone. Questions
are keyed texts (``questions.QUESTIONS``); the plain words live in ``assistant.vocabulary``.
"""
