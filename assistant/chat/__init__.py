"""Reading a clerk's message: a pipeline of named passes over one shared record (``record.Doc``).

``pipeline.read(text, report, context)`` runs, in order (``pipeline.PASSES``):

1. ``markup.unmark``           HTML tags and entities, links, mail addresses and clock times are blanked
                               (they carry no counts); ①/⑵/3️⃣ list symbols become breaks;
2. tokens                      words (registry labels and phrases, the clerks' plain words and the
                               constructions of ``assistant.vocabulary``, grammar words) and numbers (``lexicon``);
3. ``clauses.segment``         paragraphs, sentences and clauses;
4. ``numbers.mark_numbers``    which numbers are quantities, and which are dates, document numbers, phone
                               numbers, list numbering, last year's figures, differences, averages, counters,
                               measures (共3页), repeats (申请了2次) and ordinals;
5. ``described.mark_descriptions``  words describing what an applicant asked for ("要行政处罚的执法卷宗",
                               "单位内部的人事管理材料") are not cells of their own;
6. table-shaped text           rows pasted from a spreadsheet that the table reader left are not read as prose;
7. ``help.answer``             a question about the form is answered from the registry and ``definitions``;
8. ``conversation.seed``       the open questions of the last turn, as counts still waiting for an answer;
9. ``corrections.read_moves``  "不是维持，是纠正", "其中1件其实是重复申请", "不是直接起诉，是复议后起诉的",
                               "去掉1件部分公开，那件后来全部公开了": a count moved between cells;
10. ``facts.read_facts``       each quantity with its words (``slots``) becomes a fact about a cell, or opens
                               one, in the paragraph's ``topic``; clauses without numbers say 0, "all of
                               them" or "the rest" (``spread``), or what follows is about;
11. ``material.collect``       statements with no cell, kept for the section whose text they feed;
12. ``resolve.resolve``        a paragraph's grammar: totals and their parts, whole groups, mentions of known
                               counts, what the draft tells, what must be asked;
13. ``corrections.against_draft``  "又来了1件", "少算了2件", "现在是11件" against the draft;
14. ``changes.to_changes``     one value per cell, totals checked with their parts, values the draft holds dropped.

``conversation.next_context`` then keeps what stays open for the next turn, and ``reply.compose``
says it in Chinese. Each pass changes only its part of the record and is tested on its own
(``tests/test_chat_passes.py``); questions are keyed texts (``questions.QUESTIONS``). A new
construction is a new pass, or a new rule in one, with example sentences in ``fixtures/chat/clerk.yaml``.
"""
