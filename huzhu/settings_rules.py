"""Trust levels, vouching, reviews and the posting rules' settings, part of huzhu/settings.py
(star-imported there).

Each is read from the environment; the README's configuration table documents them all.
"""

from huzhu.env import envbool, envfloat, envint, envlist, envstr

# Trust level thresholds (docs/TRUST.md); what each level unlocks is in huzhu/trust/levels.py.
HUZHU_TRUST_THRESHOLDS = {
    "tl2_completed_exchanges": envint("HUZHU_TL2_COMPLETED_EXCHANGES", 3),
    "tl2_account_days": envint("HUZHU_TL2_ACCOUNT_DAYS", 7),
    "tl2_max_no_shows_90d": envint("HUZHU_TL2_MAX_NO_SHOWS_90D", 1),
    # Good reviews net of poor ones, each weighted by its writer's standing (standing.py).
    "tl2_good_reviews": envint("HUZHU_TL2_GOOD_REVIEWS", 1),
    "tl3_completed_exchanges": envint("HUZHU_TL3_COMPLETED_EXCHANGES", 15),
    "tl3_active_days": envint("HUZHU_TL3_ACTIVE_DAYS", 100),
    "tl3_max_no_shows_90d": envint("HUZHU_TL3_MAX_NO_SHOWS_90D", 0),
    # "Consistently good reviews": the Wilson lower bound of the share of good reviews, in
    # percent (15 good of 15 is 79%, 14 of 15 is 70%), over revealed reviews that count.
    "tl3_good_reviews_percent": envint("HUZHU_TL3_GOOD_REVIEWS_PERCENT", 70),
}
# Fraud signals in the moderation console (huzhu/safety/fraud.py): who is shown, over the
# last HUZHU_SIGNAL_DAYS.
HUZHU_FRAUD_SIGNALS = {
    "days": envint("HUZHU_SIGNAL_DAYS", 30),
    "scarce_needs": envint("HUZHU_SIGNAL_SCARCE_NEEDS", 3),
    "no_shows": envint("HUZHU_SIGNAL_NO_SHOWS", 2),
    "reporters": envint("HUZHU_SIGNAL_REPORTERS", 3),
    "accounts_per_address": envint("HUZHU_SIGNAL_ACCOUNTS_PER_ADDRESS", 3),
    "new_account_days": envint("HUZHU_SIGNAL_NEW_ACCOUNT_DAYS", 7),
    "new_account_quantity": envint("HUZHU_SIGNAL_NEW_ACCOUNT_QUANTITY", 20),
}
HUZHU_TRUST_GRACE_DAYS = envint("HUZHU_TRUST_GRACE_DAYS", 14)
# Document verification: the photo's size cap, and how long after the details it may come.
HUZHU_DOCUMENT_MAX_BYTES = envint("HUZHU_DOCUMENT_MAX_BYTES", 5_000_000)
HUZHU_DOCUMENT_UPLOAD_HOURS = envint("HUZHU_DOCUMENT_UPLOAD_HOURS", 24)
# A sanction against someone a member vouched for costs the voucher one vouch a week, for
# this many days after it.
HUZHU_VOUCH_SANCTION_DAYS = envint("HUZHU_VOUCH_SANCTION_DAYS", 90)
# A verified organisation may keep this many times a person's open offers.
HUZHU_ORGANISATION_OFFER_MULTIPLIER = envint("HUZHU_ORGANISATION_OFFER_MULTIPLIER", 5)
# Reviews: written within this many days of completion, and revealed when it closes.
HUZHU_REVIEW_WINDOW_DAYS = envint("HUZHU_REVIEW_WINDOW_DAYS", 14)
# One person's reviews of the same other person count once per this many days.
HUZHU_REVIEW_PAIR_DAYS = envint("HUZHU_REVIEW_PAIR_DAYS", 30)
# Reputation is shown only from this many counting reviews on.
HUZHU_REVIEWS_SHOWN_FROM = envint("HUZHU_REVIEWS_SHOWN_FROM", 3)
# What a new (TL0) member may do before verifying: enough to post a need or respond.
HUZHU_TL0_OPEN_NEEDS = envint("HUZHU_TL0_OPEN_NEEDS", 1)
HUZHU_TL0_OPEN_OFFERS = envint("HUZHU_TL0_OPEN_OFFERS", 1)
HUZHU_TL0_RESPONSES_PER_DAY = envint("HUZHU_TL0_RESPONSES_PER_DAY", 3)
HUZHU_TL0_POSTS_PER_HOUR = envint("HUZHU_TL0_POSTS_PER_HOUR", 2)
# The posting rules beyond gift-only and prescriptions (huzhu/safety/posting.py): quotas,
# duplicates, velocity, first-day caps and held posts. Off only for tests and bulk imports.
HUZHU_POSTING_CHECKS = envbool("HUZHU_POSTING_CHECKS", default=True)
HUZHU_OPEN_NEEDS_PER_CATEGORY = envint("HUZHU_OPEN_NEEDS_PER_CATEGORY", 2)
HUZHU_DUPLICATE_HOURS = envint("HUZHU_DUPLICATE_HOURS", 24)
HUZHU_DUPLICATE_SIMILARITY = envfloat("HUZHU_DUPLICATE_SIMILARITY", 0.8)
HUZHU_FIRST_DAY_HOURS = envint("HUZHU_FIRST_DAY_HOURS", 24)
HUZHU_FIRST_DAY_POSTS = envint("HUZHU_FIRST_DAY_POSTS", 3)
# Intake: how many posts for residents one volunteer or organiser may enter in an hour,
# instead of their own quotas (safety/posting.py).
HUZHU_INTAKE_PER_HOUR = envint("HUZHU_INTAKE_PER_HOUR", 300)
# The catalogue codes this crisis needs most: big buttons on the home page and the top of
# every item picker, in this order (prescription items are never shown).
HUZHU_MOST_NEEDED_ITEMS = envlist(
    "HUZHU_MOST_NEEDED_ITEMS", "ibuprofen,antigen-test,paracetamol,ibuprofen-suspension"
)
# An operator's own prescription and controlled medicines, added to
# huzhu/text/data/prescription_medicines.tsv (same format: class, a tab, names by "|").
HUZHU_PRESCRIPTION_FILE = envstr("HUZHU_PRESCRIPTION_FILE", "")
# A scarce item's per-need cap also caps what one person asks for, in needs and responses,
# over this many days (huzhu/safety/hoarding.py).
HUZHU_ITEM_CAP_DAYS = envint("HUZHU_ITEM_CAP_DAYS", 7)
# The sale model (huzhu/safety/sale_model.py): a post the rules let through is held for a
# moderator when the model scores it at least this (0 turns the model off); and the model
# file, when not the one shipped (retrain with `huzhu safeguards-train`).
HUZHU_SALE_MODEL_HOLD = envfloat("HUZHU_SALE_MODEL_HOLD", 0.85)
HUZHU_SALE_MODEL_FILE = envstr("HUZHU_SALE_MODEL_FILE", "")
