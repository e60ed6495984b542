"""The one exception for a write Loa refuses: its message is the reason, in Vietnamese, shown to the
person as it is; ``code`` (optional) tells a view which way to go on. Every app raises this class
(re-exported as ``<module>.Refused``), so a view that calls two apps catches one thing."""


class Refused(ValueError):
    def __init__(self, message: str = "", code: str = ""):
        super().__init__(message)
        self.code = code
