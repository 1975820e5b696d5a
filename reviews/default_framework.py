"""The default home care quality framework, written for this product.

Rows are (domain, standard, code, question, guidance) - the same columns as a
council's own CSV, so both load through one code path.
"""

from __future__ import annotations

NAME = "Home care quality framework"

INVOLVE = "Involvement and information"
PERSONAL = "Personalised care and support"
SAFE = "Safeguarding and safety"
STAFF = "Suitability of staffing"
MANAGE = "Quality of management"

ROWS: list[tuple[str, str, str, str, str]] = [
    (
        INVOLVE,
        "People are involved in planning their care",
        "IN01",
        "Are people and their chosen representatives involved in writing and agreeing "
        "their care plan?",
        "Look for signed or recorded agreement in the files sampled, and ask people whether "
        "the plan reflects what they asked for.",
    ),
    (
        INVOLVE,
        "People are involved in planning their care",
        "IN02",
        "Are people told in advance about changes to visit times or carers?",
        "Check the rota change log against what people tell you about late or changed visits.",
    ),
    (
        INVOLVE,
        "People are involved in planning their care",
        "IN03",
        "Does the provider ask people for feedback and show what it changed as a result?",
        "Ask for the latest survey results or feedback calls and one example of a change made.",
    ),
    (
        INVOLVE,
        "Information is clear and accessible",
        "IN04",
        "Do people have a service guide and complaints information in a format they can use?",
        "Formats may include large print, easy read, audio or another language.",
    ),
    (
        INVOLVE,
        "Information is clear and accessible",
        "IN05",
        "Are complaints logged, answered within the provider's own timescales and learnt from?",
        "Sample the complaints log; look for responses, outcomes and trends reviewed by managers.",
    ),
    (
        PERSONAL,
        "Care plans reflect the person",
        "PC01",
        "Do care plans describe the person's preferences, routines and what matters to them?",
        "A good plan reads as being about this person, not a list of tasks.",
    ),
    (
        PERSONAL,
        "Care plans reflect the person",
        "PC02",
        "Are care plans reviewed at six weeks, yearly and whenever needs change?",
        "Compare review dates in the files sampled with the council's review records.",
    ),
    (
        PERSONAL,
        "Care plans reflect the person",
        "PC03",
        "Do daily notes show that care was given as the plan describes?",
        "Read a fortnight of notes for each file sampled; look for missed tasks or copied text.",
    ),
    (
        PERSONAL,
        "Support promotes independence and wellbeing",
        "PC04",
        "Are people supported to do what they can for themselves?",
        "Look for reablement goals and for carers prompting rather than doing.",
    ),
    (
        PERSONAL,
        "Support promotes independence and wellbeing",
        "PC05",
        "Are people's nutrition, hydration and skin integrity needs met where the plan "
        "includes them?",
        "Check food and fluid charts and body maps where used; ask carers how concerns are raised.",
    ),
    (
        SAFE,
        "People are protected from abuse and neglect",
        "SA01",
        "Do staff know how to recognise and report abuse, and have they done so when needed?",
        "Ask staff to describe what they would do; check safeguarding referrals made this year.",
    ),
    (
        SAFE,
        "People are protected from abuse and neglect",
        "SA02",
        "Are safeguarding concerns reported to the council promptly and followed up?",
        "Match the provider's log with the council's safeguarding records.",
    ),
    (
        SAFE,
        "Risks are assessed and managed",
        "SA03",
        "Are risk assessments in place and current for moving and handling, environment and falls?",
        "Check dates and that actions in the assessment appear in the care plan.",
    ),
    (
        SAFE,
        "Risks are assessed and managed",
        "SA04",
        "Are medicines supported safely, with complete administration records?",
        "Sample medicine administration records for gaps and check how gaps were followed up.",
    ),
    (
        SAFE,
        "Risks are assessed and managed",
        "SA05",
        "Are missed and late visits monitored, and is action taken when people are put at risk?",
        "Compare electronic call monitoring data with the provider's missed-visit log.",
    ),
    (
        SAFE,
        "Risks are assessed and managed",
        "SA06",
        "Do carers follow infection prevention and control practice?",
        "Ask about supplies of protective equipment and check spot-check records.",
    ),
    (
        STAFF,
        "Staff are recruited safely",
        "ST01",
        "Are staff recruited with full employment history, references and a DBS check before "
        "they start?",
        "Sample staff files; note gaps in history and how they were explained.",
    ),
    (
        STAFF,
        "Staff are recruited safely",
        "ST02",
        "Does the provider have enough staff to deliver the hours it has accepted?",
        "Compare commissioned hours with rota capacity and recent hand-backs of packages.",
    ),
    (
        STAFF,
        "Staff are trained and supported",
        "ST03",
        "Have staff completed induction and mandatory training, and is it kept up to date?",
        "Use the training matrix; check the Care Certificate for new starters.",
    ),
    (
        STAFF,
        "Staff are trained and supported",
        "ST04",
        "Do staff receive regular supervision, spot checks and an annual appraisal?",
        "Sample supervision records against the provider's own policy.",
    ),
    (
        STAFF,
        "Staff are trained and supported",
        "ST05",
        "Is there continuity of care, with people seeing a small team of familiar carers?",
        "Count different carers per person over four weeks in the files sampled.",
    ),
    (
        MANAGE,
        "The service is well led",
        "QM01",
        "Is there a registered manager in post, and do staff find them approachable?",
        "Check CQC registration and ask staff who they go to with a concern.",
    ),
    (
        MANAGE,
        "The service is well led",
        "QM02",
        "Are notifications made to CQC and the council when required?",
        "Compare incidents in the provider's log with notifications received.",
    ),
    (
        MANAGE,
        "Quality is checked and improved",
        "QM03",
        "Does the provider audit care plans, medicines and visit times and act on what it finds?",
        "Ask for the last three months of audits and the actions that followed.",
    ),
    (
        MANAGE,
        "Quality is checked and improved",
        "QM04",
        "Are records kept securely and in line with data protection law?",
        "Look at how records are stored at people's homes and in the office.",
    ),
    (
        MANAGE,
        "Quality is checked and improved",
        "QM05",
        "Are previous action plans completed and improvements sustained?",
        "Check the last action plan's actions were verified and have not slipped back.",
    ),
]
