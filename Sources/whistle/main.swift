import WhistleWeb
print("x")
