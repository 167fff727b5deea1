"""The one place that imports every area's models, so metadata is complete."""
from pro_service.pathways import models as pathways_models  # noqa: F401
from pro_service.auth import api_clients as auth_api_clients  # noqa: F401
from pro_service.auth import models as auth_models  # noqa: F401
from pro_service.audit import models as audit_models  # noqa: F401
from pro_service.letters import models as letters_models  # noqa: F401
from pro_service.reports import models as reports_models  # noqa: F401
from pro_service.worker import models as worker_models  # noqa: F401
from pro_service.goals import models as goals_models  # noqa: F401
