import ScanCodes
print("placeholder")
