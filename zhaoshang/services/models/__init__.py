from .approvals import ApprovalItem, ApprovalPlan, ApprovalTemplate, ParkAssessment, PlanItem, TemplateItem
from .key_firms import KeyEnterprise, ServiceVisit
from .requests import EnterpriseAccount, EnterpriseRequest, RequestCategory, RequestEvent, SendBack, ServicePolicy

__all__ = [
    "ApprovalItem",
    "ApprovalPlan",
    "ApprovalTemplate",
    "EnterpriseAccount",
    "EnterpriseRequest",
    "KeyEnterprise",
    "ParkAssessment",
    "PlanItem",
    "RequestCategory",
    "RequestEvent",
    "SendBack",
    "ServicePolicy",
    "ServiceVisit",
    "TemplateItem",
]
