"""Liveness and readiness for load balancers, orchestrators and operators.

Liveness says the process answers (restart it if not); readiness says it can
serve a respondent now: the database answers and its schema is at the
migrations this code ships (take it out of rotation if not, but do not restart
it: it recovers by itself when the database is back). `/healthz` is readiness.
"""
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from pro_service import db

bp = Blueprint("health", __name__)


@bp.get("/healthz/live")
def live():
    """The process is up and serving requests; nothing else is touched."""
    return jsonify(status="ok")


@bp.get("/healthz")
@bp.get("/healthz/ready")
def ready():
    """Ready only when a real query succeeds and the schema is at head, so a node that cannot serve is taken out."""
    try:
        revision = db.schema_revision()
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    if revision != db.head_revision():
        # No revision names in the answer: an outside caller learns nothing about the deploy.
        return jsonify(status="unavailable", database="ok", migrations="behind"), 503
    return jsonify(status="ok", database="ok", migrations="ok")
