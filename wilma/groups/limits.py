"""Write-rate limits of the group routes, per person (per address for anonymous requests).

Creating groups and asking to join them notify other people or fill the directory, so a runaway script
or a stuck button is stopped with a 429 and a clear message. Pages and API share each budget.
"""

from flask_limiter.util import get_remote_address
from flask_login import current_user

from wilma.extensions import limiter

CREATE_LIMIT = "20 per hour"
JOIN_LIMIT = "30 per 10 minutes"


def per_person() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


limit_create = limiter.shared_limit(CREATE_LIMIT, scope="group-create", key_func=per_person,
                                    methods=["POST"])
limit_join = limiter.shared_limit(JOIN_LIMIT, scope="group-join", key_func=per_person, methods=["POST"])
