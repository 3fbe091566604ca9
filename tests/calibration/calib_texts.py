"""Answers shared by the calibration tests (a module of its own: `conftest` names collide)."""

STRONG = (
    "When I joined Harbor Logistics Software as the first partnerships hire, almost all of our "
    "pipeline came from cold outbound and it converted at about 8%. My goal was to build a referral "
    "channel that produced a quarter of new pipeline within a year. I mapped the twelve consultants "
    "who already advised our buyers and met each of them one to one. Before asking for anything I "
    "introduced three of them to customers who needed their help and shared our benchmark data "
    "for their client reviews. I set up a monthly check-in with each of them, tracked in HubSpot, "
    "and closed the loop with every referrer within 48 hours. I worked with marketing and our "
    "customer success team on a joint roundtable twice a year. As a result, partner referrals grew "
    "to 31% of new pipeline, about $2.4M, and closed at 44% against 12% for outbound."
)
WEAK = (
    "Networking is really about leveraging relationships and adding value at every touchpoint. "
    "Everyone should be authentic and strategic. Good networkers build win-win partnerships and "
    "follow best practices. At the end of the day it is all about synergy."
)
AVERAGE = (
    "At my last company I sold payroll software to mid-sized firms. I joined the local HR "
    "association and went to its monthly meetings. I tried to be helpful and answered questions "
    "when people asked. Over time a few members introduced me to their colleagues and a couple of "
    "those conversations became customers."
)
