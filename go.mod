module github.com/bytesio-go/bytesio

go 1.26
