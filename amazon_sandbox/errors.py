"""An SP-API error answer: the status and Amazon's ``{"errors": [{code, message, details}]}``."""


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
