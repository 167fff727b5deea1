from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from pro_service import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Ready only when a real query succeeds, so a dead database takes the node out of rotation."""
    try:
        db.ping()
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
