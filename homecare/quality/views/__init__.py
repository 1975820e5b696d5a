"""The quality pages, by what they are about: the overview, assessments, action
plans, frameworks and package reviews. Routes in homecare/quality/urls.py."""
