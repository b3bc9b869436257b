from mtorsim.cli.main import main

main()
