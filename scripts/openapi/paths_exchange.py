"""paths of the 12345 work-order exchange (issue 16 item 1, HotlineController.swift): the
platform's own routes, authenticated with its API key (X-Api-Key, purpose hotline), and the
admins' classification mapping."""

from kit import B, DATE, I, S, UUID, arr, desc, enum, inputs, obj, ref
from paths import Op, path_param

API_KEY = [{"apiKey": []}]
ORDER_NO = desc(S, "The platform's order number")

STATUS_KINDS = ["received", "returned", "dispatched", "handled", "result", "callback"]

EXCHANGE_SCHEMAS = {
    "HotlineOrder": inputs({
        "orderNo": ORDER_NO, "receivedAt": DATE, "category": desc(S, "The hotline's own classification code"),
        "street": desc(S, "The receiving street's unit code"), "address": S, "description": S, "appellantName": S,
        "appellantPhone": S, "urgency": ref("Urgency"), "limitHours": {"type": "number", "minimum": 0},
        "handledAt": DATE, "resolvedAt": DATE, "result": S, "callbackAt": DATE, "satisfaction": ref("Satisfaction"),
        "returnedAt": DATE, "returnReason": S,
    }, required=["orderNo", "receivedAt", "category", "street", "address", "description", "appellantName", "appellantPhone"]),
    "HotlinePush": inputs({"orders": {"type": "array", "items": ref("HotlineOrder"), "minItems": 1, "maxItems": 1000}},
                          required=["orders"]),
    "HotlineReceipt": obj({
        "created": arr(obj({"orderNo": S, "appealId": UUID, "number": S})),
        "repeated": arr(S), "unmappedCategories": arr(S),
    }),
    "HotlineStatus": obj({"sequence": I, "status": enum(STATUS_KINDS), "statusName": S, "at": DATE, "delivered": B},
                         {"text": S, "satisfaction": ref("Satisfaction"), "reopened": B}),
    "HotlineOrderState": obj({"orderNo": S, "appealId": UUID, "number": S, "state": ref("AppealState"), "stateName": S,
                              "statuses": arr(ref("HotlineStatus"))}, {"dueAt": DATE, "result": S}),
    "HotlineCallbackInput": inputs({"satisfaction": ref("Satisfaction"), "comment": S, "reopen": B}),
    "HotlineCategories": inputs({"categories": arr(inputs({"category": S, "itemCode": S, "urgency": ref("Urgency")},
                                                          required=["category"]))}, required=["categories"]),
}


def exchange_ops():
    order = [path_param("orderNo", {"type": "string", "minLength": 1, "maxLength": 64})]
    return [
        Op("post", "/api/v1/hotline/orders", "pushHotlineOrders",
           "Push 1 to 1,000 work orders (idempotent by order number; 201 when any is new, 200 when all were seen)",
           "Exchange", "HotlineReceipt", 201, body="HotlinePush", security=API_KEY),
        Op("get", "/api/v1/hotline/orders/{orderNo}", "hotlineOrder", "An order's appeal and the statuses sent for it",
           "Exchange", "HotlineOrderState", params=order, security=API_KEY),
        Op("post", "/api/v1/hotline/orders/{orderNo}/callback", "hotlineCallback", "The platform's own callback (回访) of a resolved order",
           "Exchange", "HotlineOrderState", body="HotlineCallbackInput", params=order, security=API_KEY),
        Op("get", "/api/v1/admin/hotline-categories", "hotlineCategories", "The 12345 classifications mapped to catalogue items",
           "Admin", "HotlineCategories"),
        Op("put", "/api/v1/admin/hotline-categories", "setHotlineCategories", "Replace the 12345 classification mapping",
           "Admin", "HotlineCategories", body="HotlineCategories"),
    ]
